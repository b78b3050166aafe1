console.log('scimkit');
